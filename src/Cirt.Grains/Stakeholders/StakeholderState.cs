namespace Cirt.Grains.Stakeholders;

/// <summary>Persistent state of a stakeholder grain; null until the stakeholder is created.</summary>
[GenerateSerializer]
[Alias("cirt.StakeholderState")]
public sealed class StakeholderState
{
    [Id(0)]
    public Stakeholder? Stakeholder { get; set; }
}
