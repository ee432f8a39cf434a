using Cirt.Server.Taxii;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Cirt.Server.Tests.Taxii;

/// <summary>The TAXII server's rules on their own: collection ids, media types, next tokens and URL parameters.</summary>
public sealed class TaxiiRulesTests
{
    private static readonly Guid Collection = TaxiiCollectionId.For("cirt-de");

    [Fact]
    public void ACollectionIdIsTheNameBasedUuidOfThePartnerId()
    {
        // Python: uuid.uuid5(uuid.UUID("f783370d-a5d0-4c2e-9590-1a4f97ba8728"), "cirt-de")
        Assert.Equal(Guid.Parse("47f3f523-be77-5f22-a804-c98ae9903b6c"), TaxiiCollectionId.For("cirt-de"));
        Assert.NotEqual(TaxiiCollectionId.For("cirt-de"), TaxiiCollectionId.For("cirt-nl"));
    }

    [Theory]
    [InlineData("application/taxii+json;version=2.1", true)]
    [InlineData("application/taxii+json; version=2.1", true)]
    [InlineData("application/taxii+json", true)]
    [InlineData("*/*", true)]
    [InlineData("application/*", true)]
    [InlineData("application/json, application/taxii+json;version=2.1;q=0.5", true)]
    [InlineData("application/json", false)]
    [InlineData("application/taxii+json;version=2.0", false)]
    [InlineData("application/taxii+json;version=2.1;q=0", false)]
    [InlineData("text/*", false)]
    [InlineData("not a media type", false)]
    public void AcceptHeadersThatTakeTaxii21(string accept, bool accepted) =>
        Assert.Equal(accepted, TaxiiMediaTypes.Accepts([accept]));

    [Fact]
    public void NoAcceptHeaderTakesAnything() => Assert.True(TaxiiMediaTypes.Accepts([]));

    [Fact]
    public void ANextTokenResumesWhereItWasIssuedOnly()
    {
        var tokens = new NextTokens(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());
        var after = new CollectionPosition(new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero).AddTicks(1230), "indicator--4f0f3a7e-1c39-4d43-9b2f-5a0c7d9e8b11", new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero));
        var token = tokens.Issue(Collection, "objects", after);

        Assert.True(tokens.TryRead(token, Collection, "objects", out var read));
        Assert.Equal(after, read);
        Assert.False(tokens.TryRead(token, TaxiiCollectionId.For("cirt-nl"), "objects", out _));
        Assert.False(tokens.TryRead(token, Collection, "manifest", out _));
        Assert.False(new NextTokens(new byte[32]).TryRead(token, Collection, "objects", out _));
        Assert.False(tokens.TryRead((token[0] == 'A' ? "B" : "A") + token[1..], Collection, "objects", out _));
        Assert.False(tokens.TryRead("garbage", Collection, "objects", out _));
        Assert.False(tokens.TryRead("", Collection, "objects", out _));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=-3", "limit")]
    [InlineData("limit=1.5", "limit")]
    [InlineData("added_after=2026-03-01", "added_after")]
    [InlineData("added_after=2026-03-01T09:30:00+01:00", "added_after")]
    [InlineData("match[version]=latest", "match[version]")]
    [InlineData("next=", "next")]
    public void BadParametersAreNamed(string parameters, string named)
    {
        Assert.False(TaxiiQuery.TryRead(Query(parameters), out _, out var problem));
        Assert.StartsWith(named, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ParametersAreRead()
    {
        Assert.True(TaxiiQuery.TryRead(Query("limit=100000&added_after=2026-03-01T09:30:00.123456Z&match[type]=report,indicator&match[type]=identity&match[version]=first,2026-02-01T00:00:00.000Z&match[id]=report--x"), out var query, out _));

        Assert.Equal(TaxiiQuery.MaxLimit, query.Limit);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero).AddTicks(1_234_560), query.Filter.AddedAfter);
        Assert.Equal(["identity", "indicator", "report"], query.Filter.Types.Order(StringComparer.Ordinal));
        Assert.Equal(["report--x"], query.Filter.Ids);
        Assert.True(query.Filter.Versions.First);
        Assert.False(query.Filter.Versions.Last);
        Assert.Equal([new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero)], query.Filter.Versions.At);
        Assert.True(TaxiiQuery.TryRead(Query(""), out var defaults, out _));
        Assert.Equal(TaxiiQuery.DefaultLimit, defaults.Limit);
        Assert.Equal(VersionMatch.Latest, defaults.Filter.Versions);
    }

    private static QueryCollection Query(string text) =>
        new(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(text).ToDictionary(p => p.Key, p => (StringValues)p.Value));
}
