using System.Security.Cryptography;
using Cirt.Contracts.V1;

namespace Cirt.Server.Tests.Federation;

/// <summary>The outbox listed page by page, newest first, by partner and state, on a server of its own.</summary>
public sealed class OutboxPagingTests : IAsyncLifetime
{
    private readonly ServerFixture _server = Federations.Server("cirt-lu", "LU");

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task TheOutboxIsPagedNewestFirstWithoutGapsOrRepeats()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // A partner that only reads our TAXII collection: its messages wait in the outbox.
        await _server.Partners().RegisterPartnerAsync(new RegisterPartnerRequest
        {
            Id = "cirt-pt", Name = "CERT.PT", Country = "PT", PublicKey = key.ExportSubjectPublicKeyInfoPem(), Agreement = Federations.Agreement(),
        });
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var created = await _server.Advisories().CreateAdvisoryAsync(new CreateAdvisoryRequest
            {
                Content = new AdvisoryContent { Title = $"Advisory {i}", Summary = "Patch now.", Tlp = Tlp.Green, TargetSectors = { "ENERGY" }, PartnerRecipients = { "cirt-pt" } },
            });
            await _server.Advisories().PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = created.Advisory.Id });
            ids.Add(created.Advisory.Id);
        }

        var seen = new List<OutboxMessage>();
        var token = "";
        var pages = 0;
        do
        {
            var page = await _server.Partners(_server.AnalystKey).ListOutboxAsync(new ListOutboxRequest { PartnerId = "cirt-pt", PageSize = 2, PageToken = token });
            seen.AddRange(page.Messages);
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(ids), seen.Select(m => m.ItemId));
        Assert.All(seen, m => Assert.Equal((OutboxState.Queued, 0L, 0), (m.State, m.Sequence, m.Attempts)));
        Assert.Equal(5, (await _server.Partners().ListOutboxAsync(new ListOutboxRequest { State = OutboxState.Queued })).Messages.Count);
        Assert.Empty((await _server.Partners().ListOutboxAsync(new ListOutboxRequest { State = OutboxState.Delivered })).Messages);
        Assert.Empty((await _server.Partners().ListOutboxAsync(new ListOutboxRequest { PartnerId = "cirt-xx" })).Messages);
        var partner = (await _server.Partners().GetPartnerAsync(new GetPartnerRequest { PartnerId = "cirt-pt" })).Partner;
        Assert.Equal((5L, false), (partner.Delivery.Queued, partner.HasOutboundKey));
    }
}
