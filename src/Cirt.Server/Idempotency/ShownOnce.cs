using Cirt.Contracts.V1;
using Cirt.Server.Api;
using Google.Protobuf;
using Grpc.Core;

namespace Cirt.Server.Idempotency;

/// <summary>
/// Answers that carry a secret shown once (IssueKey's API key: "in the response and nowhere else,
/// ever"): the ledger records them without it, and a retry is told what was done instead of being
/// given the secret again, or a second key. Every other answer is recorded as sent.
/// </summary>
public static class ShownOnce
{
    private const string IssueKey = "/cirt.v1.KeyService/IssueKey";

    /// <summary><paramref name="response"/> as the ledger may keep it: without a secret shown once.</summary>
    public static IMessage Withheld(string method, IMessage response) =>
        method == IssueKey && response is IssueKeyResponse issued ? new IssueKeyResponse(issued) { ApiKey = "" } : response;

    /// <summary>ALREADY_EXISTS for a retry whose first answer held a secret shown once; nothing otherwise.</summary>
    public static void RefuseReplay(string method, IMessage recorded)
    {
        if (method == IssueKey && recorded is IssueKeyResponse issued)
        {
            RpcErrors.Throw(StatusCode.AlreadyExists,
                $"Key {issued.Key.KeyId} ({issued.Key.Name}) was issued under this request_id; its secret was shown once, in the first answer, and is kept nowhere. "
                + "If that answer was lost, revoke the key (cirt keys revoke " + issued.Key.KeyId + ") and issue another.");
        }
    }
}
