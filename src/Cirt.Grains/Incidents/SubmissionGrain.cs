using Cirt.Grains.Common;
using Cirt.Grains.Sectors;
using Cirt.Grains.Security;
using Cirt.Grains.Stakeholders;
using Cirt.Grains.Taxonomy;

namespace Cirt.Grains.Incidents;

public sealed class SubmissionGrain(
    [PersistentState("submission", StorageNames.Cirt)] IPersistentState<SubmissionState> state,
    RsitTaxonomy taxonomy,
    CirtClock clock) : Grain, ISubmissionGrain
{
    public static string KeyFor(string reporterStakeholderId, string requestId) => $"{reporterStakeholderId}/{requestId}";

    public async Task<Incident> SubmitAsync(IncidentReport report, Principal submitter)
    {
        // Checked before a tracking number is taken: a refused report leaves no gap in the numbering.
        IncidentReporting.Check(report, taxonomy);
        var reporter = await GrainFactory.GetGrain<IStakeholderGrain>(report.ReporterStakeholderId).GetAsync()
            ?? throw new CirtException(CirtErrorKind.NotFound,
                $"Stakeholder '{report.ReporterStakeholderId}' was not found.", "reporter_stakeholder_id");

        if (state.State.TrackingId is null)
        {
            await EnsureReferencesExistAsync(report);
            var year = clock.GetUtcNow().Year;
            var number = await GrainFactory.GetGrain<ITrackingNumberGrain>(year.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)).NextAsync();
            // The tracking id is stored before the incident exists: a retry after a crash opens the
            // same incident instead of a second one.
            state.State.TrackingId = TrackingIds.Format(year, number);
            await state.WriteStateAsync();
        }

        return await GrainFactory.GetGrain<IIncidentGrain>(state.State.TrackingId)
            .OpenAsync(report, reporter.Nis2EntityClass, reporter.SectorCodes, submitter, reporter.TrustServiceProvider);
    }

    private async Task EnsureReferencesExistAsync(IncidentReport report)
    {
        foreach (var id in report.AffectedStakeholderIds.Distinct())
        {
            if (await GrainFactory.GetGrain<IStakeholderGrain>(id).GetAsync() is null)
            {
                throw new CirtException(CirtErrorKind.NotFound, $"Stakeholder '{id}' was not found.", "affected_stakeholder_ids");
            }
        }

        foreach (var code in report.SectorCodes.Distinct())
        {
            if (await GrainFactory.GetGrain<ISectorGrain>(code).GetAsync() is null)
            {
                throw new CirtException(CirtErrorKind.NotFound, $"Sector '{code}' was not found.", "sector_codes");
            }
        }
    }
}
