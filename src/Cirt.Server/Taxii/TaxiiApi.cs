using System.Text.Json;
using Cirt.Grains.Partners;
using Cirt.Server.Http;

namespace Cirt.Server.Taxii;

/// <summary>
/// The TAXII 2.1 resources, read-only (<see cref="TaxiiGate"/> has checked the caller first): the
/// discovery resource, one API root, and under it one collection per partner, the caller's own. A
/// collection that is not the caller's answers 404 as a missing one does, so nobody learns which
/// others exist. A suspended partner still sees its collection, with can_read false, and reading it
/// answers 403: nothing reaches a suspended partner, and it is told why rather than shown an empty
/// collection that would look as though everything had been withdrawn. What objects leave is
/// recorded before they do (<see cref="PartnerCollections.RecordReadAsync"/>).
/// </summary>
public static class TaxiiApi
{
    private static readonly string[] Versions = [TaxiiMediaTypes.Taxii];

    public static IResult Discovery(HttpContext http, HttpEndpoint endpoint, TaxiiServer server)
    {
        var root = endpoint.BaseUrlFor(http.Request) + TaxiiServer.ApiRootPath;
        return TaxiiResult.Ok(json =>
        {
            json.WriteStartObject();
            json.WriteString("title", $"Cirt TAXII server of {server.InstanceId} ({server.Country})");
            json.WriteString("description", "Advisories and incidents this CIRT shares with partner CIRTs, as STIX 2.1: one read-only collection per partner.");
            json.WriteString("default", root);
            json.WriteStartArray("api_roots");
            json.WriteStringValue(root);
            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    public static IResult ApiRoot(TaxiiServer server) => TaxiiResult.Ok(json =>
    {
        json.WriteStartObject();
        json.WriteString("title", $"Cirt ({server.InstanceId})");
        json.WriteString("description", "Partner collections: what each partner's sharing agreement lets it receive.");
        json.WriteStartArray("versions");
        foreach (var version in Versions)
        {
            json.WriteStringValue(version);
        }

        json.WriteEndArray();
        // Read-only: no request here has a body.
        json.WriteNumber("max_content_length", 0);
        json.WriteEndObject();
    });

    public static async Task<IResult> Collections(HttpContext http, IGrainFactory grains, TaxiiServer server)
    {
        var partner = await PartnerOfAsync(http, grains);
        return TaxiiResult.Ok(json =>
        {
            json.WriteStartObject();
            if (partner is not null)
            {
                json.WriteStartArray("collections");
                WriteCollection(json, partner, server);
                json.WriteEndArray();
            }

            json.WriteEndObject();
        });
    }

    public static async Task<IResult> Collection(string collectionId, HttpContext http, IGrainFactory grains, TaxiiServer server)
    {
        var partner = await PartnerOfAsync(http, grains);
        if (partner is null || !IsCollectionOf(partner, collectionId))
        {
            return NoSuchCollection();
        }

        return TaxiiResult.Ok(json => WriteCollection(json, partner, server));
    }

    public static Task<IResult> Objects(string collectionId, HttpContext http, IGrainFactory grains, PartnerCollections collections, NextTokens tokens) =>
        ServeAsync(http, grains, collectionId, objectId: null, ObjectsPage.Objects, collections, tokens);

    public static Task<IResult> Manifest(string collectionId, HttpContext http, IGrainFactory grains, PartnerCollections collections, NextTokens tokens) =>
        ServeAsync(http, grains, collectionId, objectId: null, ObjectsPage.Manifest, collections, tokens);

    public static Task<IResult> Object(string collectionId, string objectId, HttpContext http, IGrainFactory grains, PartnerCollections collections, NextTokens tokens) =>
        ServeAsync(http, grains, collectionId, objectId, ObjectsPage.Objects, collections, tokens);

    public static Task<IResult> ObjectVersions(string collectionId, string objectId, HttpContext http, IGrainFactory grains, PartnerCollections collections, NextTokens tokens) =>
        ServeAsync(http, grains, collectionId, objectId, ObjectsPage.Versions, collections, tokens);

    /// <summary>Adding objects: refused, the collections are read-only (404 first for a collection that is not the caller's).</summary>
    public static async Task<IResult> AddObjects(string collectionId, HttpContext http, IGrainFactory grains)
    {
        var partner = await PartnerOfAsync(http, grains);
        return partner is null || !IsCollectionOf(partner, collectionId)
            ? NoSuchCollection()
            : TaxiiResult.Error(StatusCodes.Status403Forbidden, "Read-only collection", "Partners read this collection; nothing can be added to it.");
    }

    public static IResult NoSuchResource() =>
        TaxiiResult.Error(StatusCodes.Status404NotFound, "Not found", $"No TAXII resource here: discovery is at {TaxiiServer.DiscoveryPath}, the API root at {TaxiiServer.ApiRootPath}.");

    private static async Task<IResult> ServeAsync(
        HttpContext http, IGrainFactory grains, string collectionId, string? objectId, ObjectsPage kind, PartnerCollections collections, NextTokens tokens)
    {
        var partner = await PartnerOfAsync(http, grains);
        if (partner is null || !IsCollectionOf(partner, collectionId))
        {
            return NoSuchCollection();
        }

        if (partner.Status == PartnerStatus.Suspended)
        {
            return TaxiiResult.Error(StatusCodes.Status403Forbidden, "Partner suspended",
                "Exchange with your CIRT is suspended: nothing can be read from this collection until it is resumed.");
        }

        if (!TaxiiQuery.TryRead(http.Request.Query, out var query, out var problem))
        {
            return TaxiiResult.Error(StatusCodes.Status400BadRequest, "Bad request", problem);
        }

        var filter = query.Filter;
        if (objectId is not null)
        {
            filter = filter with { Ids = new HashSet<string>(StringComparer.Ordinal) { objectId } };
        }

        if (kind == ObjectsPage.Versions)
        {
            filter = filter with { Versions = VersionMatch.Every };
        }

        var collection = TaxiiCollectionId.For(partner.Id);
        var fingerprint = $"{kind}\n{objectId}\n{filter.Fingerprint()}";
        CollectionPosition? after = null;
        if (query.Next.Length > 0)
        {
            if (!tokens.TryRead(query.Next, collection, fingerprint, out var position))
            {
                return TaxiiResult.Error(StatusCodes.Status400BadRequest, "Bad request",
                    "next is not a token this server gave for this collection and these filters: ask again with the same filters as the page before.");
            }

            after = position;
        }

        var objects = await collections.ObjectsAsync(partner.Id, http.RequestAborted);
        if (objectId is not null && !objects.Any(o => o.Id == objectId))
        {
            return TaxiiResult.Error(StatusCodes.Status404NotFound, "Not found", $"Object {objectId} is not in this collection.");
        }

        var page = filter.Apply(objects)
            .SkipWhile(o => after is { } position && o.Position.CompareTo(position) <= 0)
            .Take(query.Limit + 1)
            .ToList();
        var more = page.Count > query.Limit;
        if (more)
        {
            page.RemoveAt(page.Count - 1);
        }

        if (kind == ObjectsPage.Objects)
        {
            await collections.RecordReadAsync(partner.Id, TaxiiGate.Caller(http).KeyId, page, http.RequestAborted);
        }

        var next = more ? tokens.Issue(collection, fingerprint, page[^1].Position) : null;
        var headers = page.Count == 0 ? null : new Dictionary<string, string>
        {
            ["X-TAXII-Date-Added-First"] = TaxiiTime.Format(page[0].DateAdded),
            ["X-TAXII-Date-Added-Last"] = TaxiiTime.Format(page[^1].DateAdded),
        };
        return TaxiiResult.Ok(json => WritePage(json, kind, page, more, next), headers);
    }

    private static void WritePage(Utf8JsonWriter json, ObjectsPage kind, List<CollectionObject> page, bool more, string? next)
    {
        json.WriteStartObject();
        json.WriteBoolean("more", more);
        if (next is not null)
        {
            json.WriteString("next", next);
        }

        if (page.Count > 0)
        {
            json.WriteStartArray(kind == ObjectsPage.Versions ? "versions" : "objects");
            foreach (var version in page)
            {
                switch (kind)
                {
                    case ObjectsPage.Objects:
                        json.WriteRawValue(version.Json, skipInputValidation: true);
                        break;
                    case ObjectsPage.Manifest:
                        json.WriteStartObject();
                        json.WriteString("id", version.Id);
                        json.WriteString("date_added", TaxiiTime.Format(version.DateAdded));
                        json.WriteString("version", version.VersionText);
                        json.WriteString("media_type", TaxiiMediaTypes.Stix);
                        json.WriteEndObject();
                        break;
                    default:
                        json.WriteStringValue(version.VersionText);
                        break;
                }
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static void WriteCollection(Utf8JsonWriter json, Partner partner, TaxiiServer server)
    {
        json.WriteStartObject();
        json.WriteString("id", TaxiiCollectionId.For(partner.Id).ToString("D"));
        json.WriteString("title", $"Shared with {partner.Name}");
        json.WriteString("description",
            $"What {server.InstanceId} shares with {partner.Id} ({partner.Name}, {partner.Country}) under its agreement, as STIX 2.1: advisories and incidents; withdrawn ones revoked.");
        json.WriteString("alias", partner.Id);
        json.WriteBoolean("can_read", partner.Status == PartnerStatus.Active);
        json.WriteBoolean("can_write", false);
        json.WriteStartArray("media_types");
        json.WriteStringValue(TaxiiMediaTypes.Stix);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The registered partner the caller's key is bound to; null when none is registered under that id.</summary>
    private static Task<Partner?> PartnerOfAsync(HttpContext http, IGrainFactory grains) =>
        grains.GetGrain<IPartnerGrain>(TaxiiGate.Caller(http).PartnerId).GetAsync();

    private static bool IsCollectionOf(Partner partner, string collectionId) =>
        Guid.TryParseExact(collectionId, "D", out var id) && id == TaxiiCollectionId.For(partner.Id);

    private static TaxiiResult NoSuchCollection() =>
        TaxiiResult.Error(StatusCodes.Status404NotFound, "No such collection", "There is no collection with that id for you.");
}
