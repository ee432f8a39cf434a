using System.Text.RegularExpressions;
using Cirt.Grains.Partners;

namespace Cirt.Server.Federation;

/// <summary>The configuration section "Cirt:Federation": who this instance is to its partners.</summary>
public sealed partial class FederationOptions
{
    public const string Section = "Cirt:Federation";

    /// <summary>This instance's id as partners register it, e.g. "cirt-fr": 1 to 64 lower-case letters, digits, '.', '_' or '-'.</summary>
    public string InstanceId { get; set; } = "cirt-local";

    /// <summary>ISO 3166-1 alpha-2 code of the country this CIRT serves, upper case, e.g. "FR".</summary>
    public string Country { get; set; } = "XX";

    /// <summary>The URL partners deliver to (this server's gRPC endpoint as they reach it); the listening URL when empty.</summary>
    public string PublicUrl { get; set; } = "";

    /// <summary>The signing key (PKCS#8 PEM, ECDSA P-256); created at first start, mode 0600. Default: data/federation-signing-key.pem.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>How long a signed envelope stays acceptable after it is signed.</summary>
    public TimeSpan EnvelopeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    public IEnumerable<string> Problems()
    {
        if (!PartnerRules.IsValidId(InstanceId ?? ""))
        {
            yield return $"{Section}:{nameof(InstanceId)} must be 1 to 64 lower-case letters, digits, '.', '_' or '-' (got '{InstanceId}').";
        }

        if (!PartnerRules.IsValidCountry(Country ?? ""))
        {
            yield return $"{Section}:{nameof(Country)} must be an ISO 3166-1 alpha-2 code in upper case, e.g. FR (got '{Country}').";
        }

        if (!string.IsNullOrEmpty(PublicUrl) && !(Uri.TryCreate(PublicUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            yield return $"{Section}:{nameof(PublicUrl)} must be an absolute http or https URL (got '{PublicUrl}').";
        }

        if (EnvelopeLifetime < TimeSpan.FromSeconds(10) || EnvelopeLifetime > TimeSpan.FromDays(1))
        {
            yield return $"{Section}:{nameof(EnvelopeLifetime)} must be between 10 seconds and 1 day.";
        }
    }

    [GeneratedRegex("^[a-z0-9._-]{1,64}\\z")]
    public static partial Regex InstanceIdPattern();

    [GeneratedRegex("^[A-Z]{2}\\z")]
    public static partial Regex CountryPattern();
}
