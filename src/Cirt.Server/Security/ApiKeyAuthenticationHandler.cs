using System.Security.Claims;
using System.Text.Encodings.Web;
using Cirt.Grains.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Security;

/// <summary>
/// Authenticates "authorization: Bearer cirt_…" against the key's grain on every call (no cache:
/// a revocation applies to the very next call, on every silo). The outcome is left in
/// HttpContext.Items for the authorisation interceptor, which answers UNAUTHENTICATED with a reason.
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

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return Refuse("missing", "No credential: send 'authorization: Bearer <api key>'.", noResult: true);
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Refuse("malformed", "The authorization header must be 'Bearer <api key>'.");
        }

        if (!ApiKeyToken.TryParse(header["Bearer ".Length..].Trim(), out var keyId, out var secret))
        {
            return Refuse("malformed", "That is not a Cirt API key (cirt_<key id>_<secret>).");
        }

        var result = await grains.GetGrain<IApiKeyGrain>(keyId).AuthenticateAsync(secret);
        switch (result.Outcome)
        {
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
