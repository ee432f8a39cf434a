using System.Diagnostics.Metrics;

namespace Cirt.Server.Security;

/// <summary>Counts security events (meter "Cirt.Security"), next to their structured log lines.</summary>
public sealed class SecurityMetrics
{
    public const string MeterName = "Cirt.Security";

    private readonly Counter<long> _authenticationFailures;
    private readonly Counter<long> _accessDenied;
    private readonly Counter<long> _keysIssued;
    private readonly Counter<long> _keysRevoked;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _streamsRefused;
    private readonly Counter<long> _federationRefused;

    public SecurityMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _authenticationFailures = meter.CreateCounter<long>("cirt.security.authentication_failures", description: "Calls refused for a missing, malformed, unknown, wrong or revoked key");
        _accessDenied = meter.CreateCounter<long>("cirt.security.access_denied", description: "Calls refused by authorisation: by the caller's role (reason \"role\") or by the call's own rules (reason \"rule\")");
        _keysIssued = meter.CreateCounter<long>("cirt.security.keys_issued");
        _keysRevoked = meter.CreateCounter<long>("cirt.security.keys_revoked");
        _rateLimited = meter.CreateCounter<long>("cirt.security.rate_limited", description: "Calls refused by the per-principal rate limit");
        _streamsRefused = meter.CreateCounter<long>("cirt.security.streams_refused", description: "Streams refused because their key or the server held the most allowed");
        _federationRefused = meter.CreateCounter<long>("cirt.federation.refused", description: "Deliveries from partner CIRTs refused (unsigned, mis-signed, unknown or suspended sender, replayed, expired, above the agreement...)");
    }

    public void AuthenticationFailed(string reason) => _authenticationFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>The reason of a refusal by the caller's role: the method is not open to it.</summary>
    public const string DeniedByRole = "role";

    /// <summary>The reason of a refusal by the call's own rules, once the role let it in (e.g. reporting for another organisation).</summary>
    public const string DeniedByRule = "rule";

    /// <summary>Counts a call to <paramref name="method"/> refused for <paramref name="reason"/> (<see cref="DeniedByRole"/> or <see cref="DeniedByRule"/>).</summary>
    public void AccessDenied(string method, string reason) =>
        _accessDenied.Add(1, new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("reason", reason));

    public void KeyIssued() => _keysIssued.Add(1);

    public void KeyRevoked() => _keysRevoked.Add(1);

    public void RateLimited() => _rateLimited.Add(1);

    public void StreamRefused(StreamPool pool) =>
        _streamsRefused.Add(1, new KeyValuePair<string, object?>("pool", pool == StreamPool.Ingest ? "ingest" : "general"));

    /// <summary>Counts a delivery from a partner refused with <paramref name="status"/> (e.g. "UNAUTHENTICATED") for <paramref name="reason"/> (e.g. "bad_signature").</summary>
    public void FederationRefused(string status, string reason) =>
        _federationRefused.Add(1, new KeyValuePair<string, object?>("status", status), new KeyValuePair<string, object?>("reason", reason));
}
