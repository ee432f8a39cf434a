namespace Cirt.Grains.Playbooks;

/// <summary>Who a playbook step's task goes to.</summary>
public enum StepAssignee
{
    /// <summary>The organisation that reported the incident.</summary>
    Reporter = 1,

    /// <summary>The CIRT: the analyst in charge of the incident, or the duty desk while none is assigned.</summary>
    Cirt = 2,
}

/// <summary>One step of a playbook: the task it creates, for whom, due how long after triage.</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.PlaybookStep")]
public sealed record PlaybookStep(
    [property: Id(0)] string Title,
    [property: Id(1)] StepAssignee Assignee,
    [property: Id(2)] TimeSpan DueWithin);
