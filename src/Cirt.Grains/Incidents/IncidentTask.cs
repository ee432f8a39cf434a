namespace Cirt.Grains.Incidents;

/// <summary>Where a task stands.</summary>
public enum IncidentTaskStatus
{
    Open = 1,
    InProgress = 2,
    Done = 3,
    Cancelled = 4,
}

/// <summary>
/// A piece of work on an incident, assigned to a stakeholder (which sees and updates it) or to a
/// CIRT analyst, with a due date. Numbered from 1 within its incident.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("cirt.IncidentTask")]
public sealed record IncidentTask(
    [property: Id(0)] int Number,
    [property: Id(1)] string Title,
    [property: Id(2)] string AssigneeStakeholderId,
    [property: Id(3)] string AssigneeAnalyst,
    [property: Id(4)] DateTimeOffset? DueAt,
    [property: Id(5)] IncidentTaskStatus Status,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] string CreatedBy,
    [property: Id(8)] string Origin,
    [property: Id(9)] DateTimeOffset UpdatedAt)
{
    public bool IsOpen => Status is IncidentTaskStatus.Open or IncidentTaskStatus.InProgress;

    public bool IsOverdueAt(DateTimeOffset now) => IsOpen && DueAt is { } due && now > due;

    /// <summary>Who it is for, as people read it: "gridco" or "analyst alice" or "the CIRT".</summary>
    public string AssigneeLabel => AssigneeStakeholderId.Length > 0 ? AssigneeStakeholderId
        : AssigneeAnalyst.Length > 0 ? "analyst " + AssigneeAnalyst
        : "the CIRT";
}

/// <summary>A task to add: for a stakeholder or an analyst (neither: the CIRT's duty desk).</summary>
[GenerateSerializer, Immutable]
[Alias("cirt.NewIncidentTask")]
public sealed record NewIncidentTask(
    [property: Id(0)] string Title,
    [property: Id(1)] string AssigneeStakeholderId,
    [property: Id(2)] string AssigneeAnalyst,
    [property: Id(3)] DateTimeOffset? DueAt);
