using Cirt.Contracts.V1;

namespace Cirt.Server.Tests.Advisories;

/// <summary>
/// An advisory's content reaches only its current recipients: narrowing it (fewer recipients, a
/// stricter TLP) must not show the new text to the organisations taken off it.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AdvisoryNarrowingTests(ServerFixture server)
{
    [Fact]
    public async Task ARecipientTakenOffAnAdvisoryDoesNotSeeItsNewContent()
    {
        var coordinator = server.Advisories();
        var gridco = server.Advisories(server.GridcoKey);
        var firstbank = server.Advisories(await server.IssueKeyAsync("fb-narrowing", Role.Operator, "firstbank"));
        var draft = (await coordinator.CreateAdvisoryAsync(new CreateAdvisoryRequest
        {
            Content = new AdvisoryContent
            {
                Title = "Phishing wave against utilities and banks",
                Summary = "Lures imitating the national grid regulator.",
                Tlp = Tlp.Green,
                TargetStakeholders = { "gridco", "firstbank" },
            },
        })).Advisory;
        var published = (await coordinator.PublishAdvisoryAsync(new PublishAdvisoryRequest { Id = draft.Id, ExpectedVersion = draft.Version })).Advisory;

        var narrowed = (await coordinator.UpdateAdvisoryAsync(new UpdateAdvisoryRequest
        {
            Id = draft.Id,
            ExpectedVersion = published.Version,
            Content = new AdvisoryContent
            {
                Title = "FirstBank: compromised SWIFT operator account",
                Summary = "The operator account svc-swift-02 is in attacker hands; rotate it now.",
                Tlp = Tlp.AmberStrict,
                TargetStakeholders = { "firstbank" },
            },
        })).Advisory;

        // The coordinator and FirstBank see the new content.
        Assert.Equal("FirstBank: compromised SWIFT operator account", narrowed.Content.Title);
        var forBank = (await firstbank.GetAdvisoryAsync(new GetAdvisoryRequest { Id = draft.Id })).Advisory;
        Assert.Equal(("FirstBank: compromised SWIFT operator account", Tlp.AmberStrict), (forBank.Content.Title, forBank.Content.Tlp));

        // GridCo, taken off, sees none of it: neither by id nor in its list.
        var forGridco = (await gridco.GetAdvisoryAsync(new GetAdvisoryRequest { Id = draft.Id })).Advisory;
        var listed = (await gridco.ListAdvisoriesAsync(new ListAdvisoriesRequest())).Advisories.Where(a => a.Id == draft.Id).ToArray();
        foreach (var seen in listed.Prepend(forGridco))
        {
            Assert.Equal("Phishing wave against utilities and banks", seen.Content.Title);
            Assert.Equal("Lures imitating the national grid regulator.", seen.Content.Summary);
            Assert.Equal(Tlp.Green, seen.Content.Tlp);
            Assert.DoesNotContain("SWIFT", seen.ToString(), StringComparison.Ordinal);
        }
    }
}
