namespace Cirt.Grains.Common;

/// <summary>
/// Explicit limits on what a request may carry. Requests over a limit are refused, never truncated.
/// </summary>
public static class Limits
{
    public const int TitleLength = 200;
    public const int DescriptionLength = 20_000;
    public const int NoteLength = 10_000;
    public const int ReasonLength = 2_000;
    public const int NameLength = 200;
    public const int ShortTextLength = 320;
    public const int IdLength = 64;
    public const int ObservableValueLength = 2_048;
    public const int ObservableCommentLength = 1_000;
    public const int ObservablesPerRequest = 500;
    public const int ObservablesPerIncident = 10_000;

    /// <summary>The observables of one incident, in UTF-8 bytes of their values and comments.</summary>
    public const int ObservableBytesPerIncident = 1024 * 1024;
    public const int StakeholdersPerIncident = 200;
    public const int SectorsPerItem = 20;
    public const int ContactsPerStakeholder = 50;
    public const int ConstituencyEntries = 10_000;
    public const int SubsectorsPerSector = 30;
    public const int MaxPageSize = 500;
    /// <summary>
    /// What one incident's timeline holds: entries, and bytes (UTF-8 of each entry's actor, kind and
    /// summary, plus <see cref="TimelineEntryOverheadBytes"/>). Responses carry a window of it
    /// (<see cref="TimelinePageBytes"/>), so a full timeline stays readable.
    /// </summary>
    public const int TimelineEntriesPerIncident = 5_000;

    /// <inheritdoc cref="TimelineEntriesPerIncident"/>
    public const int TimelineBytesPerIncident = 2 * 1024 * 1024;

    /// <summary>
    /// Notes stop this short of <see cref="TimelineEntriesPerIncident"/> and
    /// <see cref="TimelineBytesPerIncident"/>: the rest is kept for the work on the incident
    /// (triage, transitions, assignment, tasks, restoration, reviews), which notes cannot crowd out.
    /// </summary>
    public const int TimelineEntriesKeptForWork = 500;

    /// <inheritdoc cref="TimelineEntriesKeptForWork"/>
    public const int TimelineBytesKeptForWork = 256 * 1024;

    /// <summary>What a timeline entry costs beyond its text: sequence, time, visibility, framing.</summary>
    public const int TimelineEntryOverheadBytes = 32;

    /// <summary>
    /// What one organisation's keys write to one incident's timeline (notes, restoration, task
    /// updates, observables, NIS2 reports): one organisation cannot fill the timeline for the others.
    /// </summary>
    public const int TimelineEntriesPerOrganisation = 250;

    /// <inheritdoc cref="TimelineEntriesPerOrganisation"/>
    public const int TimelineBytesPerOrganisation = 256 * 1024;

    /// <summary>
    /// What the organisations involved write to one incident's timeline all together: the rest of
    /// <see cref="TimelineBytesPerIncident"/> stays free for the CIRT's own work on it.
    /// </summary>
    public const int TimelineEntriesOfOrganisations = 1_000;

    /// <inheritdoc cref="TimelineEntriesOfOrganisations"/>
    public const int TimelineBytesOfOrganisations = 1024 * 1024;

    /// <summary>
    /// What an incident holds besides its timeline (description, observables, tasks, restorations,
    /// reports, review, referrals...), in UTF-8 bytes with framing: with a timeline window it keeps
    /// every response well under <see cref="MaxMessageBytes"/>.
    /// </summary>
    public const int IncidentRecordBytes = 2 * 1024 * 1024;

    /// <summary>Timeline entries a response carries by default, and at most when asked (GetIncident pages the rest).</summary>
    public const int TimelinePageSize = 100;

    /// <inheritdoc cref="TimelinePageSize"/>
    public const int MaxTimelinePageSize = 1_000;

    /// <summary>The timeline entries of one response, in bytes counted as for <see cref="TimelineBytesPerIncident"/>.</summary>
    public const int TimelinePageBytes = 1024 * 1024;
    public const int Nis2ReportsPerIncident = 100;
    public const int FollowUpActionsPerReview = 50;
    public const int TasksPerIncident = 500;
    public const int StepsPerPlaybook = 50;
    public const int MaxMessageBytes = 4 * 1024 * 1024;
}
