namespace Cirt.Grains.Playbooks;

/// <summary>The playbook of one RSIT class, keyed by the class name (e.g. "malicious-code").</summary>
public interface IPlaybookGrain : IGrainWithStringKey
{
    /// <summary>The playbook, or null while the class has none.</summary>
    Task<Playbook?> GetAsync();

    /// <summary>
    /// Sets the steps (creating the playbook when there is none). A non-zero expected version must
    /// match the current one (concurrent edits are refused, not overwritten).
    /// </summary>
    Task<Playbook> SetAsync(PlaybookStep[] steps, long expectedVersion, string actor);
}
