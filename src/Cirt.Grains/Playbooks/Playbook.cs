namespace Cirt.Grains.Playbooks;

/// <summary>The response playbook of an RSIT class: triaging an incident of that class creates its steps' tasks.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.Playbook")]
public sealed record Playbook(
    [property: Id(0)] string RsitClass,
    [property: Id(1)] PlaybookStep[] Steps,
    [property: Id(2)] long Version,
    [property: Id(3)] DateTimeOffset UpdatedAt,
    [property: Id(4)] string UpdatedBy);
