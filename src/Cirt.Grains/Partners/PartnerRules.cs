using System.Text.RegularExpressions;
using Cirt.Grains.Common;
using Cirt.Grains.Incidents;

namespace Cirt.Grains.Partners;

/// <summary>
/// What may happen to a partner CIRT's registration, as plain functions: each takes the partner as
/// it is and returns it as it becomes (the same instance when nothing changes), or refuses with a
/// <see cref="CirtException"/> naming the field or the rule. <see cref="PartnerGrain"/> stores what
/// they return; the gRPC layer asks the same <c>*Problems</c> functions to report every bad field
/// of a request at once.
/// </summary>
public static partial class PartnerRules
{
    /// <summary>The longest key we accept to call a partner's endpoint with (it travels in a header).</summary>
    public const int MaxOutboundKeyLength = 256;

    public const int MaxEndpointLength = 2_048;

    public const int MaxLegalBasisLength = 2_000;

    public const int MaxRetentionDays = 3_650;

    /// <summary>The longest overlap an old key keeps verifying beside a new one.</summary>
    public static readonly TimeSpan MaxKeyOverlap = TimeSpan.FromDays(30);

    /// <summary>Sector codes an agreement may name.</summary>
    public const int MaxAgreementSectors = 50;

    /// <summary>Keys kept per partner: the newest and the older ones still within an overlap.</summary>
    public const int MaxKeys = 10;

    /// <summary>An instance id, ours or a partner's: 1 to 64 lower-case letters, digits, '.', '_' or '-'.</summary>
    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    /// <summary>ISO 3166-1 alpha-2 shape: two upper-case letters.</summary>
    public static bool IsValidCountry(string country) => CountryPattern().IsMatch(country);

    /// <summary>A new partner, active, with its one key newest (valid until a newer one is added).</summary>
    public static Partner Register(string id, PartnerRegistration registration, DateTimeOffset now, string actor)
    {
        Ensure(RegistrationProblems(id, registration));
        PartnerKeys.Read(registration.PublicKeyPem, out var key, out _);
        return new Partner(id, registration.Name.Trim(), registration.Country, registration.EndpointUrl,
            [new PartnerKey(key.Pem, key.Fingerprint, now, null)], Normalise(registration.Agreement), PartnerStatus.Active,
            1, now, actor, now, actor, "", registration.OutboundApiKey);
    }

    /// <summary>The agreement replaced: it applies to what is queued from now on.</summary>
    public static Partner UpdateAgreement(Partner current, SharingAgreement agreement, long expectedVersion, DateTimeOffset now, string actor)
    {
        Versioning.Check("Partner", current.Id, expectedVersion, current.Version);
        Ensure(AgreementProblems(agreement, "agreement"));
        return Next(current, now, actor) with { Agreement = Normalise(agreement) };
    }

    /// <summary>
    /// Where the partner listens and the key it issued to us: an empty <paramref name="outboundApiKey"/>
    /// keeps the one held; the same endpoint and key change nothing.
    /// </summary>
    public static Partner UpdateEndpoint(Partner current, string endpointUrl, string outboundApiKey, long expectedVersion, DateTimeOffset now, string actor)
    {
        Versioning.Check("Partner", current.Id, expectedVersion, current.Version);
        Ensure(EndpointProblems(endpointUrl, outboundApiKey));
        var key = outboundApiKey.Length > 0 ? outboundApiKey : current.OutboundApiKey;
        return endpointUrl == current.EndpointUrl && key == current.OutboundApiKey
            ? current
            : Next(current, now, actor) with { EndpointUrl = endpointUrl, OutboundApiKey = key };
    }

    /// <summary>
    /// A newer key beside the current ones: every key still valid stays valid for <paramref name="overlap"/>
    /// more at most (zero: they stop now). Keys whose validity ended make room when
    /// <see cref="MaxKeys"/> are held; a key registered already is refused (ALREADY_EXISTS).
    /// </summary>
    public static Partner AddKey(Partner current, string publicKeyPem, TimeSpan overlap, DateTimeOffset now, string actor)
    {
        Ensure(KeyProblems(publicKeyPem, overlap));
        PartnerKeys.Read(publicKeyPem, out var key, out _);
        if (current.Keys.Any(k => k.Fingerprint == key.Fingerprint))
        {
            throw new CirtException(CirtErrorKind.AlreadyExists, $"Partner '{current.Id}' already has the key {key.Fingerprint}.", "public_key");
        }

        var until = now + overlap;
        var kept = current.Keys
            .Select(k => k.ValidUntil is { } end && end <= until ? k : k with { ValidUntil = until })
            .ToList();
        while (kept.Count >= MaxKeys && kept.FindIndex(k => !k.IsValidAt(now)) is var expired and >= 0)
        {
            kept.RemoveAt(expired);
        }

        if (kept.Count >= MaxKeys)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"Partner '{current.Id}' holds {kept.Count} keys still valid (at most {MaxKeys}); wait for an overlap to end, or add the key with a shorter overlap_days.",
                "overlap_days");
        }

        return Next(current, now, actor) with { Keys = [.. kept, new PartnerKey(key.Pem, key.Fingerprint, now, null)] };
    }

    /// <summary>Suspends exchange with the partner; a suspended partner stays suspended (its first reason is kept).</summary>
    public static Partner Suspend(Partner current, string reason, DateTimeOffset now, string actor)
    {
        Ensure(ReasonProblems(reason));
        if (current.Status == PartnerStatus.Suspended)
        {
            return current;
        }

        return Next(current, now, actor) with { Status = PartnerStatus.Suspended, SuspendReason = reason.Trim() };
    }

    /// <summary>Resumes exchange; an active partner stays as it is.</summary>
    public static Partner Resume(Partner current, DateTimeOffset now, string actor) =>
        current.Status == PartnerStatus.Active
            ? current
            : Next(current, now, actor) with { Status = PartnerStatus.Active, SuspendReason = "" };

    /// <summary>Every problem with a registration, by request field.</summary>
    public static IEnumerable<(string Field, string Problem)> RegistrationProblems(string id, PartnerRegistration registration)
    {
        if (!IsValidId(id))
        {
            yield return ("id", $"'{Echo.Of(id)}' is not an instance id (1 to 64 lower-case letters, digits, '.', '_' or '-', e.g. cirt-de)");
        }

        if (string.IsNullOrWhiteSpace(registration.Name))
        {
            yield return ("name", "is required");
        }
        else if (registration.Name.Length > Limits.NameLength)
        {
            yield return ("name", $"is {registration.Name.Length} characters long; the limit is {Limits.NameLength}");
        }

        if (!IsValidCountry(registration.Country))
        {
            yield return ("country", $"'{Echo.Of(registration.Country)}' is not an ISO 3166-1 alpha-2 code in upper case (e.g. DE)");
        }

        foreach (var problem in EndpointProblems(registration.EndpointUrl, registration.OutboundApiKey))
        {
            yield return problem;
        }

        if (!PartnerKeys.Read(registration.PublicKeyPem, out _, out var keyProblem))
        {
            yield return ("public_key", keyProblem);
        }

        foreach (var problem in AgreementProblems(registration.Agreement, "agreement"))
        {
            yield return problem;
        }
    }

    /// <summary>
    /// Every problem with an agreement, by field under <paramref name="field"/>. Default-deny: an
    /// agreement without kinds or sectors is valid and lets nothing leave.
    /// </summary>
    public static IEnumerable<(string Field, string Problem)> AgreementProblems(SharingAgreement? agreement, string field)
    {
        if (agreement is null)
        {
            yield return (field, "is required: what the partner may receive (nothing leaves without an agreement)");
            yield break;
        }

        if (agreement.MaxTlp is not (Tlp.Clear or Tlp.Green or Tlp.Amber))
        {
            yield return ($"{field}.max_tlp", "must be CLEAR, GREEN or AMBER: TLP:AMBER+STRICT leaves only for items naming the partner, under an AMBER agreement, and TLP:RED never leaves");
        }

        if (agreement.Sectors.Length > MaxAgreementSectors)
        {
            yield return ($"{field}.sectors", $"has {agreement.Sectors.Length} entries; the limit is {MaxAgreementSectors}");
        }

        if (agreement.AllSectors && agreement.Sectors.Length > 0)
        {
            yield return ($"{field}.sectors", "must be empty when all_sectors is set");
        }

        if (agreement.Sectors.Distinct(StringComparer.Ordinal).Count() != agreement.Sectors.Length)
        {
            yield return ($"{field}.sectors", "names a sector twice");
        }

        for (var i = 0; i < agreement.Kinds.Length; i++)
        {
            if (!Enum.IsDefined(agreement.Kinds[i]))
            {
                yield return ($"{field}.kinds[{i}]", "must be ADVISORY or INCIDENT");
            }
        }

        if (agreement.Kinds.Distinct().Count() != agreement.Kinds.Length)
        {
            yield return ($"{field}.kinds", "names a kind twice");
        }

        if (!Enum.IsDefined(agreement.PersonalData))
        {
            yield return ($"{field}.personal_data", "must be NONE or PSEUDONYMISED");
        }

        if (string.IsNullOrWhiteSpace(agreement.LegalBasis))
        {
            yield return ($"{field}.legal_basis", "is required: the legal basis of the exchange, as text");
        }
        else if (agreement.LegalBasis.Length > MaxLegalBasisLength)
        {
            yield return ($"{field}.legal_basis", $"is {agreement.LegalBasis.Length} characters long; the limit is {MaxLegalBasisLength}");
        }

        if (agreement.RetentionDays is < 1 or > MaxRetentionDays)
        {
            yield return ($"{field}.retention_days", $"must be between 1 and {MaxRetentionDays} days (got {agreement.RetentionDays})");
        }
    }

    /// <summary>Every problem with an endpoint and the key to call it with (which may come later: nothing is delivered without it).</summary>
    public static IEnumerable<(string Field, string Problem)> EndpointProblems(string endpointUrl, string outboundApiKey)
    {
        if (EndpointProblem(endpointUrl) is { } endpoint)
        {
            yield return ("endpoint_url", endpoint);
        }

        if (OutboundKeyProblem(outboundApiKey) is { } outbound)
        {
            yield return ("outbound_api_key", outbound);
        }
    }

    /// <summary>Every problem with a new key and its overlap.</summary>
    public static IEnumerable<(string Field, string Problem)> KeyProblems(string publicKeyPem, TimeSpan overlap)
    {
        if (!PartnerKeys.Read(publicKeyPem, out _, out var problem))
        {
            yield return ("public_key", problem);
        }

        if (overlap < TimeSpan.Zero || overlap > MaxKeyOverlap)
        {
            yield return ("overlap_days", $"must be between 0 and {MaxKeyOverlap.Days} days");
        }
    }

    /// <summary>A suspension's reason: required, at most <see cref="Limits.ReasonLength"/> characters.</summary>
    public static IEnumerable<(string Field, string Problem)> ReasonProblems(string reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            yield return ("reason", "is required");
        }
        else if (reason.Length > Limits.ReasonLength)
        {
            yield return ("reason", $"is {reason.Length} characters long; the limit is {Limits.ReasonLength}");
        }
    }

    /// <summary>Why <paramref name="url"/> cannot be a partner's endpoint, or null: empty, or an absolute http or https URL.</summary>
    public static string? EndpointProblem(string url)
    {
        if (url.Length == 0)
        {
            return null;
        }

        if (url.Length > MaxEndpointLength)
        {
            return $"is {url.Length} characters long; the limit is {MaxEndpointLength}";
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.UserInfo.Length == 0
            ? null
            : $"'{Echo.Of(url)}' is not an absolute http or https URL without credentials (e.g. https://cirt.example.de:5080)";
    }

    /// <summary>The key a partner issued to us: empty, or printable ASCII without spaces (it travels in a header).</summary>
    public static string? OutboundKeyProblem(string key)
    {
        if (key.Length > MaxOutboundKeyLength)
        {
            return $"is {key.Length} characters long; the limit is {MaxOutboundKeyLength}";
        }

        return key.All(c => c is > ' ' and < (char)127) ? null : "must be printable ASCII without spaces";
    }

    /// <summary>Refuses with the first problem, naming its field.</summary>
    private static void Ensure(IEnumerable<(string Field, string Problem)> problems)
    {
        foreach (var (field, problem) in problems)
        {
            throw new CirtException(CirtErrorKind.InvalidArgument, $"{field}: {problem}", field);
        }
    }

    /// <summary>The agreement as stored: sectors in order, each kind once.</summary>
    private static SharingAgreement Normalise(SharingAgreement agreement) => agreement with
    {
        Sectors = agreement.Sectors.Order(StringComparer.Ordinal).ToArray(),
        Kinds = agreement.Kinds.Order().ToArray(),
        LegalBasis = agreement.LegalBasis.Trim(),
    };

    private static Partner Next(Partner current, DateTimeOffset now, string actor) =>
        current with { Version = current.Version + 1, UpdatedAt = now, UpdatedBy = actor };

    [GeneratedRegex("^[a-z0-9._-]{1,64}\\z")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Z]{2}\\z")]
    private static partial Regex CountryPattern();
}
