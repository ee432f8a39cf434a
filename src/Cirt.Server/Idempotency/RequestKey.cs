namespace Cirt.Server.Idempotency;

/// <summary>
/// What names one request in the ledger: the calling key, the full method name
/// ("/cirt.v1.IncidentService/AddNote") and the client's request id. Two keys never share ids.
/// </summary>
public sealed record RequestKey(string KeyId, string Method, string RequestId);
