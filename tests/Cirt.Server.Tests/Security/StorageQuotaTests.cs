using System.Globalization;
using Cirt.Contracts.V1;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace Cirt.Server.Tests.Security;

/// <summary>
/// A server of its own whose keys may each store 4 MiB per hour (the smallest quota allowed), on a
/// clock the test moves: a key over its quota is refused with RESOURCE_EXHAUSTED and nothing of the
/// call is stored, while other keys and automated events carry on.
/// </summary>
public sealed class StorageQuotaTests : IAsyncLifetime
{
    private const long Quota = 4 * 1024 * 1024;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero));
    private readonly ServerFixture _server;

    public StorageQuotaTests()
    {
        _server = new ServerFixture
        {
            Clock = _clock,
            ExtraArguments = ["--Cirt:Security:StorageQuotaBytes", Quota.ToString(CultureInfo.InvariantCulture), "--Cirt:Security:StorageQuotaWindow", "01:00:00"],
        };
    }

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    /// <summary>A large report, always of the same size: a full description and 100 long URLs with comments.</summary>
    private static SubmitIncidentRequest LargeReport(string reporter, int number)
    {
        var report = Reports.Valid(reporter);
        report.Title = string.Create(CultureInfo.InvariantCulture, $"Credential phishing kit, wave {number:000}");
        report.Description = new string('d', 20_000);
        report.Observables.Clear();
        for (var i = 0; i < 100; i++)
        {
            report.Observables.Add(new Observable
            {
                Type = ObservableType.Url,
                Value = string.Create(CultureInfo.InvariantCulture, $"https://kit.example/{number:000}/{i:000}/") + new string('p', 1_900),
                Comment = new string('c', 1_000),
            });
        }

        return report;
    }

    /// <summary>The large reports stored for <paramref name="stakeholderId"/> (incidents from automated events aside).</summary>
    private async Task<int> StoredForAsync(string stakeholderId) =>
        (await _server.Incidents(_server.CoordinatorKey).ListIncidentsAsync(new ListIncidentsRequest { StakeholderId = stakeholderId, PageSize = 500 }))
        .Incidents.Count(i => i.Title.StartsWith("Credential phishing kit", StringComparison.Ordinal));

    [Fact]
    public async Task AKeyOverItsStorageQuotaIsRefusedAndNothingIsStoredWhileOtherKeysAndEventsCarryOn()
    {
        var organisation = await TestStakeholders.CreateAsync(_server, "ENERGY");
        var hastyKey = await _server.IssueKeyAsync("hasty-soc", Role.Operator, organisation);
        var hasty = _server.Reporting(hastyKey);
        var colleague = _server.Reporting(await _server.IssueKeyAsync("calm-soc", Role.Operator, organisation));
        var size = LargeReport(organisation, 0).CalculateSize();
        Assert.InRange(size, 300_000, 400_000);

        // Calls refused for what they carry store nothing, and cost nothing.
        for (var i = 0; i < 3; i++)
        {
            var invalid = LargeReport(organisation, 900 + i);
            invalid.Title = "";
            await RpcAssert.FailsWith(StatusCode.InvalidArgument, () => hasty.SubmitIncidentAsync(invalid).ResponseAsync);
        }

        var accepted = 0;
        RpcException? refusal = null;
        while (refusal is null && accepted < 100)
        {
            try
            {
                await hasty.SubmitIncidentAsync(LargeReport(organisation, accepted));
                accepted++;
            }
            catch (RpcException ex)
            {
                refusal = ex;
            }
        }

        Assert.NotNull(refusal);
        Assert.Equal(StatusCode.ResourceExhausted, refusal.StatusCode);
        Assert.Equal(Quota / size, accepted);
        Assert.Contains("Storage quota of this key reached: it may store 4,194,304 bytes per 1 h", refusal.Status.Detail, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"it stored {accepted * (long)size:N0} in the last 1 h and this call adds {size:N0}"), refusal.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("Enough frees at 2026-11-20T09:00:00Z: retry after 3600 s", refusal.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("3600", refusal.Trailers.GetValue("retry-after"));
        Assert.Equal(accepted, await StoredForAsync(organisation));

        // Another key of the same organisation stores on; automated events from the refused key are not counted here.
        await colleague.SubmitIncidentAsync(LargeReport(organisation, 500));
        await _server.GrantFeedAsync("honeypot-1", hastyKey);
        var ack = (await _server.Ingest(hastyKey).PublishAsync(
            new PublishRequest { Batch = Events.Batch(Events.Infected("192.0.2.1", observedAt: _clock.GetUtcNow().AddMinutes(-1))) })).Ack;
        Assert.Equal(1, ack.AcceptedCount);
        Assert.Equal(accepted + 1, await StoredForAsync(organisation));

        // An hour after its first report, the refused key stores again.
        _clock.Advance(TimeSpan.FromHours(1));
        await hasty.SubmitIncidentAsync(LargeReport(organisation, accepted));
        Assert.Equal(accepted + 2, await StoredForAsync(organisation));
    }
}
