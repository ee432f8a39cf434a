namespace Cirt.Grains.Stakeholders;

/// <summary>What kind of organisation a stakeholder is.</summary>
public enum StakeholderType
{
    GovernmentAgency = 1,
    Regulator = 2,
    LawEnforcement = 3,
    EssentialServiceOperator = 4,
    ImportantServiceOperator = 5,
    DigitalProvider = 6,
    Isp = 7,
    Academia = 8,
    CivilSociety = 9,
    PartnerCirt = 10,
}
