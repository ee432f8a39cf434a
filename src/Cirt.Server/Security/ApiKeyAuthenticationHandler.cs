using System.Security.Claims;
using System.Text.Encodings.Web;
using Cirt.Grains.Security;
using Cirt.Server.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Security;

/// <summary>
/// Authenticates "authorization: Bearer cirt_…" (and on the HTTP endpoint also HTTP Basic with a
/// partner id as user and its key as password) against the key's grain on every call (no cache:
/// a revocation applies to the very next call, on every silo). The outcome is left in
/// HttpContext.Items for the authorisation interceptor, which answers UNAUTHENTICATED with a reason
/// (UNAVAILABLE when the key's silo could not be reached).
/// The base class's own log (a line per refused call, at Information) is left out: refusals are
/// counted and summed up per address by <see cref="RefusalLog"/>, so a flood of bad keys cannot drown the log.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    UrlEncoder encoder,
    IGrainFactory grains)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, NullLoggerFactory.Instance, encoder)
{
    public const string SchemeName = "CirtApiKey";
    public const string FailureItem = "cirt.authentication.failure";
    public const string PrincipalItem = "cirt.principal";

    /// <summary>
    /// The failure reason when the key could not be checked because a silo of the cluster could not
    /// be reached (it died and is not yet declared dead): answered UNAVAILABLE, as a retry succeeds.
    /// </summary>
    public const string UnavailableReason = "unavailable";

    private const string HttpCredentialHint =
        "Send 'Authorization: Basic <base64 of partner id:api key>' or 'Authorization: Bearer <api key>'.";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string header = Request.Headers.Authorization.ToString();
        var onHttpEndpoint = HttpEndpoint.Serves(Context);
        // HTTP Basic is TAXII's: elsewhere (gRPC, the HTTP/JSON face) the hint names Bearer only.
        var basicHint = onHttpEndpoint && Request.Path.StartsWithSegments("/taxii2", StringComparison.Ordinal);
        if (header.Length == 0)
        {
            return Refuse("missing", basicHint ? HttpCredentialHint : "No credential: send 'authorization: Bearer <api key>'.", noResult: true);
        }

        string token;
        string? basicUser = null;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = header["Bearer ".Length..].Trim();
        }
        else if (onHttpEndpoint && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)
                 && BasicCredentials.TryRead(header["Basic ".Length..].Trim(), out var user, out var password))
        {
            // HTTP Basic, TAXII's baseline, on the HTTP endpoint only: the password is the API key.
            (basicUser, token) = (user, password);
        }
        else
        {
            return Refuse("malformed", basicHint ? HttpCredentialHint : "The authorization header must be 'Bearer <api key>'.");
        }

        if (!ApiKeyToken.TryParse(token, out var keyId, out var secret))
        {
            return Refuse("malformed", "That is not a Cirt API key (cirt_<key id>_<secret>).");
        }

        AuthenticationResult result;
        try
        {
            result = await grains.GetGrain<IApiKeyGrain>(keyId).AuthenticateAsync(secret);
        }
        catch (OrleansMessageRejectionException)
        {
            return Refuse(UnavailableReason, "A silo of the cluster could not be reached to check the key; retry shortly.", keyId, noResult: true);
        }

        switch (result.Outcome)
        {
            case AuthenticationOutcome.Accepted when basicUser is not null
                                                     && (result.Principal!.Role != Role.Partner || !string.Equals(result.Principal.PartnerId, basicUser, StringComparison.Ordinal)):
                return Refuse("wrong-user", "With HTTP Basic, the user must be the partner id the key was issued for.", keyId);
            case AuthenticationOutcome.Accepted:
                var principal = result.Principal!;
                Context.Items[PrincipalItem] = principal;
                var identity = new ClaimsIdentity(
                [
                    new Claim(ClaimTypes.NameIdentifier, principal.KeyId),
                    new Claim(ClaimTypes.Name, principal.Name),
                    new Claim(ClaimTypes.Role, principal.Role.ToString()),
                ], SchemeName);
                return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
            case AuthenticationOutcome.Revoked:
                return Refuse("revoked", $"API key {keyId} has been revoked.", keyId);
            default:
                // Unknown key and wrong secret get the same answer: it must not tell which key ids exist.
                return Refuse(result.Outcome == AuthenticationOutcome.UnknownKey ? "unknown" : "wrong-secret", "The API key is not valid.", keyId);
        }
    }

    private AuthenticateResult Refuse(string reason, string message, string keyId = "", bool noResult = false)
    {
        Context.Items[FailureItem] = new AuthenticationFailure(reason, message, keyId);
        return noResult ? AuthenticateResult.NoResult() : AuthenticateResult.Fail(message);
    }
}
