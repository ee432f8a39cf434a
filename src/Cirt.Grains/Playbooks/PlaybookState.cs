namespace Cirt.Grains.Playbooks;

/// <summary>Persistent state of a playbook grain; null until the playbook is first set.</summary>
[GenerateSerializer]
[Alias("cirt.PlaybookState")]
public sealed class PlaybookState
{
    [Id(0)]
    public Playbook? Playbook { get; set; }
}
