namespace Cirt.Server.Security;

/// <summary>Why a call was not authenticated: a reason for logs and metrics, a message for the caller.</summary>
public sealed record AuthenticationFailure(string Reason, string Message, string KeyId);
