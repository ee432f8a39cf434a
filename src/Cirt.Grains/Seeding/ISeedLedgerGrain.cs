namespace Cirt.Grains.Seeding;

/// <summary>Remembers which seed entries were loaded, so that a restart loads nothing twice. Key "national".</summary>
public interface ISeedLedgerGrain : IGrainWithStringKey
{
    public const string Key = "national";

    Task<IReadOnlySet<string>> GetAppliedAsync();

    Task MarkAppliedAsync(string entryKey);
}
