using Cirt.Grains.Common;
using Cirt.Grains.Partners;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Federation;

/// <summary>
/// The shape of PartnerService requests, every violation at once, and their domain form. The
/// rules of partners themselves are <see cref="PartnerRules"/>' (asked here for their problems, so
/// that a request learns them all together); nothing is written twice.
/// </summary>
public static class PartnerRequests
{
    /// <summary>Outbox, egress and refusal pages: 50 entries unless asked, at most 200.</summary>
    public const int DefaultPageSize = 50;

    public const int MaxPageSize = 200;

    public static (string Id, PartnerRegistration Registration) Register(Proto.RegisterPartnerRequest request)
    {
        var v = new Violations();
        SectorCodes(v, request.Agreement);
        var registration = new PartnerRegistration(
            request.Name, request.Country, request.EndpointUrl, request.PublicKey, request.OutboundApiKey, PartnerMapping.ToDomain(request.Agreement)!);
        Add(v, PartnerRules.RegistrationProblems(request.Id, registration));
        v.ThrowIfAny();
        return (request.Id, registration);
    }

    public static SharingAgreement UpdateAgreement(Proto.UpdateAgreementRequest request)
    {
        var v = new Violations();
        PartnerId(v, "partner_id", request.PartnerId);
        SectorCodes(v, request.Agreement);
        var agreement = PartnerMapping.ToDomain(request.Agreement);
        Add(v, PartnerRules.AgreementProblems(agreement, "agreement"));
        v.ThrowIfAny();
        return agreement!;
    }

    public static void UpdateEndpoint(Proto.UpdatePartnerEndpointRequest request)
    {
        var v = new Violations();
        PartnerId(v, "partner_id", request.PartnerId);
        Add(v, PartnerRules.EndpointProblems(request.EndpointUrl, request.OutboundApiKey));
        v.ThrowIfAny();
    }

    public static TimeSpan AddKey(Proto.AddPartnerKeyRequest request)
    {
        var v = new Violations();
        PartnerId(v, "partner_id", request.PartnerId);
        var overlap = TimeSpan.FromDays(request.OverlapDays);
        Add(v, PartnerRules.KeyProblems(request.PublicKey, overlap));
        v.ThrowIfAny();
        return overlap;
    }

    public static void Suspend(Proto.SuspendPartnerRequest request)
    {
        var v = new Violations();
        PartnerId(v, "partner_id", request.PartnerId);
        Add(v, PartnerRules.ReasonProblems(request.Reason));
        v.ThrowIfAny();
    }

    public static void CheckPartnerId(string partnerId)
    {
        var v = new Violations();
        PartnerId(v, "partner_id", partnerId);
        v.ThrowIfAny();
    }

    public static void CheckMessageId(string messageId)
    {
        var v = new Violations();
        MessageId(v, messageId);
        v.ThrowIfAny();
    }

    public static void Discard(Proto.DiscardOutboxMessageRequest request)
    {
        var v = new Violations();
        MessageId(v, request.MessageId);
        Add(v, PartnerRules.ReasonProblems(request.Reason));
        v.ThrowIfAny();
    }

    /// <summary>The outbox filter and page: a partner and a state when given, the page size, and the position the page starts before.</summary>
    public static (string? PartnerId, OutboxState? State, int PageSize, long Before) ListOutbox(Proto.ListOutboxRequest request)
    {
        var v = new Violations();
        if (request.PartnerId.Length > 0)
        {
            PartnerId(v, "partner_id", request.PartnerId);
        }

        v.Enum("state", request.State, required: false);
        v.ThrowIfAny();
        return (request.PartnerId.Length > 0 ? request.PartnerId : null, request.State == Proto.OutboxState.Unspecified ? null : (OutboxState)(int)request.State,
            PageToken.Size(request.PageSize, DefaultPageSize, MaxPageSize), Before(request.PageToken, "outbox-before:"));
    }

    public static (string? PartnerId, int PageSize, long Before) ListEgress(Proto.ListEgressRequest request)
    {
        if (request.PartnerId.Length > 0)
        {
            CheckPartnerId(request.PartnerId);
        }

        return (request.PartnerId.Length > 0 ? request.PartnerId : null, PageToken.Size(request.PageSize, DefaultPageSize, MaxPageSize),
            Before(request.PageToken, "egress-before:"));
    }

    public static (int PageSize, long Before) ListRefusals(Proto.ListInboundRefusalsRequest request) =>
        (PageToken.Size(request.PageSize, DefaultPageSize, MaxPageSize), Before(request.PageToken, "refusals-before:"));

    /// <summary>The token of the page after one ending before <paramref name="nextBefore"/>; empty after the last page.</summary>
    public static string NextToken(string prefix, long nextBefore) => nextBefore > 0 ? NumberToken.Of(prefix, nextBefore) : "";

    private static long Before(string token, string prefix)
    {
        if (token.Length == 0)
        {
            return 0;
        }

        if (!NumberToken.TryReadLong(token, prefix, out var before) || before <= 0)
        {
            Violations.ThrowOne("page_token", "is not a token returned by a previous call");
        }

        return before;
    }

    /// <summary>The shape of each sector code (whether the sectors exist is the partner grain's to say).</summary>
    private static void SectorCodes(Violations v, Proto.SharingAgreement? agreement)
    {
        // How many there may be is the rules' to say (PartnerRules.AgreementProblems).
        for (var i = 0; i < Math.Min(agreement?.Sectors.Count ?? 0, PartnerRules.MaxAgreementSectors); i++)
        {
            FieldRules.SectorCode(v, $"agreement.sectors[{i}]", agreement!.Sectors[i]);
        }
    }

    private static void PartnerId(Violations v, string field, string value)
    {
        if (!PartnerRules.IsValidId(value))
        {
            v.Add(field, value.Length == 0 ? "is required" : $"'{Echo.Of(value)}' is not a partner id (1 to 64 lower-case letters, digits, '.', '_' or '-')");
        }
    }

    private static void MessageId(Violations v, string value)
    {
        if (!Guid.TryParseExact(value, "D", out _))
        {
            v.Add("message_id", value.Length == 0 ? "is required" : $"'{Echo.Of(value)}' is not a message id (a UUID)");
        }
    }

    private static void Add(Violations v, IEnumerable<(string Field, string Problem)> problems)
    {
        foreach (var (field, problem) in problems)
        {
            v.Add(field, problem);
        }
    }
}
