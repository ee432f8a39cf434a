using Cirt.Contracts.V1;
using Microsoft.Extensions.Time.Testing;

namespace Cirt.Server.Tests.Stakeholders;

/// <summary>Contacts go stale unless confirmed; a verification round asks stakeholders to confirm.</summary>
public sealed class ContactVerificationTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero));
    private readonly ServerFixture _server;

    public ContactVerificationTests()
    {
        _server = new ServerFixture { Clock = _clock, ExtraArguments = ["--Cirt:Contacts:StaleAfter", "180.00:00:00"] };
    }

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task UnconfirmedContactsAreStaleUntilTheStakeholderConfirmsThemAndAgainHalfAYearLater()
    {
        // The demo data's contacts were never confirmed.
        var gridco = await GridcoAsync();
        Assert.True(gridco.Contacts.Count > 0);
        Assert.All(gridco.Contacts, c => Assert.True(c.Stale));
        Assert.Equal(gridco.Contacts.Count, gridco.StaleContactCount);
        Assert.Contains("gridco", (await EnergyAsync()).StakeholdersWithStaleContacts);

        var round = await _server.Stakeholders().RequestContactVerificationAsync(new RequestContactVerificationRequest { SectorCode = "ENERGY" });
        Assert.Contains("gridco", round.StakeholderIds);
        Assert.DoesNotContain("firstbank", round.StakeholderIds);
        Assert.NotNull((await GridcoAsync()).VerificationRequestedAt);

        var confirmed = (await _server.Stakeholders(_server.GridcoKey).ConfirmContactsAsync(new ConfirmContactsRequest { StakeholderId = "gridco" })).Stakeholder;
        Assert.Null(confirmed.VerificationRequestedAt);
        Assert.All(confirmed.Contacts, c => Assert.False(c.Stale));
        Assert.Equal(0, confirmed.StaleContactCount);
        Assert.DoesNotContain("gridco", (await EnergyAsync()).StakeholdersWithStaleContacts);

        _clock.Advance(TimeSpan.FromDays(181));
        Assert.Equal(confirmed.Contacts.Count, (await GridcoAsync()).StaleContactCount);
        Assert.Contains("gridco", (await EnergyAsync()).StakeholdersWithStaleContacts);

        await RpcAssert.FailsWith(Grpc.Core.StatusCode.NotFound, () => _server.Stakeholders(_server.GridcoKey).ConfirmContactsAsync(
            new ConfirmContactsRequest { StakeholderId = "firstbank" }).ResponseAsync);
    }

    private async Task<Stakeholder> GridcoAsync() =>
        (await _server.Stakeholders(_server.GridcoKey).GetStakeholderAsync(new GetStakeholderRequest { Id = "gridco" })).Stakeholder;

    private async Task<GetSectorResponse> EnergyAsync() =>
        await _server.Sectors(_server.AnalystKey).GetSectorAsync(new GetSectorRequest { Code = "ENERGY" });
}
