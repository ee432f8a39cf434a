using Cirt.Grains.Common;
using Cirt.Grains.Sectors;
using Cirt.Grains.Stakeholders;
using Microsoft.Extensions.Logging;

namespace Cirt.Grains.Seeding;

/// <summary>
/// Loads sectors and demo stakeholders from seeds/ at first start. Each entry is loaded at most
/// once (the ledger remembers it) and never overwrites an entry that already exists, so edits made
/// after the first start survive every restart.
/// </summary>
public sealed class SeedLoader(IGrainFactory grains, ILogger<SeedLoader> logger)
{
    public const string Actor = "system:seed";

    /// <summary>Loads what is not loaded yet; returns how many entries were created.</summary>
    public async Task<int> LoadAsync(string seedDirectory, CancellationToken cancellationToken = default)
    {
        var ledger = grains.GetGrain<ISeedLedgerGrain>(ISeedLedgerGrain.Key);
        var applied = await ledger.GetAppliedAsync();
        var created = 0;

        foreach (var (code, definition) in SeedFiles.LoadSectors(seedDirectory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = "sector:" + code;
            if (applied.Contains(key))
            {
                continue;
            }

            var sector = grains.GetGrain<ISectorGrain>(code);
            if (await sector.GetAsync() is null)
            {
                await sector.CreateAsync(definition, Actor);
                created++;
            }

            await ledger.MarkAppliedAsync(key);
        }

        foreach (var (id, profile) in SeedFiles.LoadStakeholders(seedDirectory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = "stakeholder:" + id;
            if (applied.Contains(key))
            {
                continue;
            }

            var stakeholder = grains.GetGrain<IStakeholderGrain>(id);
            if (await stakeholder.GetAsync() is null)
            {
                try
                {
                    await stakeholder.CreateAsync(profile, Actor);
                    created++;
                }
                catch (CirtException ex) when (ex.Kind == CirtErrorKind.NotFound)
                {
                    // A coordinator may have removed a sector the demo data uses: skip, do not fail the start.
                    logger.LogWarning("Seed stakeholder {StakeholderId} skipped: {Reason}", id, ex.Message);
                }
            }

            await ledger.MarkAppliedAsync(key);
        }

        foreach (var (rsitClass, steps) in SeedFiles.LoadPlaybooks(seedDirectory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = "playbook:" + rsitClass;
            if (applied.Contains(key))
            {
                continue;
            }

            var playbook = grains.GetGrain<Playbooks.IPlaybookGrain>(rsitClass);
            if (await playbook.GetAsync() is null)
            {
                await playbook.SetAsync(steps, 0, Actor);
                created++;
            }

            await ledger.MarkAppliedAsync(key);
        }

        logger.LogInformation("Seeds from {SeedDirectory}: {Created} entries created", seedDirectory, created);
        return created;
    }
}
