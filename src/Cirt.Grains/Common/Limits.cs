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
    public const int StakeholdersPerIncident = 200;
    public const int SectorsPerItem = 20;
    public const int ContactsPerStakeholder = 50;
    public const int ConstituencyEntries = 10_000;
    public const int SubsectorsPerSector = 30;
    public const int MaxPageSize = 500;
    public const int TimelineEntriesPerIncident = 50_000;
    public const int Nis2ReportsPerIncident = 100;
    public const int FollowUpActionsPerReview = 50;
    public const int TasksPerIncident = 500;
    public const int StepsPerPlaybook = 50;
    public const int MaxMessageBytes = 4 * 1024 * 1024;
}
