namespace Cirt.Grains.Advisories;

/// <summary>Where an advisory stands.</summary>
public enum AdvisoryStatus
{
    Draft = 1,
    Published = 2,
    Withdrawn = 3,
}
