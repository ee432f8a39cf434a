namespace Cirt.Grains.Stakeholders;

/// <summary>NIS2 entity class of a stakeholder.</summary>
public enum Nis2EntityClass
{
    None = 1,
    Essential = 2,
    Important = 3,
}
