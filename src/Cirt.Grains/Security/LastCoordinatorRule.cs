using Cirt.Grains.Common;

namespace Cirt.Grains.Security;

/// <summary>
/// Someone must always be able to administer the service: the last active (not revoked)
/// coordinator key may not be revoked. Whoever is locked out anyway (a lost key file) recovers
/// through the recovery request file read at start (README, Security), never a key on a command line.
/// </summary>
public static class LastCoordinatorRule
{
    public const string RecoveryHint =
        "Issue another coordinator key first (IssueKey with role COORDINATOR), then revoke this one. "
        + "Locked out? Create the file recovery-coordinator.request in the data folder and restart: the server writes a new coordinator key to its bootstrap key file (see README, Security).";

    /// <summary>Throws FailedPrecondition when revoking <paramref name="keyId"/> would leave <paramref name="keys"/> without an active coordinator key.</summary>
    public static void EnsureRevocable(IEnumerable<ApiKeyInfo> keys, string keyId)
    {
        var activeCoordinators = keys.Where(k => k.Principal.Role == Role.Coordinator && !k.IsRevoked).Select(k => k.Principal.KeyId).ToArray();
        if (activeCoordinators.Contains(keyId) && activeCoordinators.Length == 1)
        {
            throw new CirtException(CirtErrorKind.FailedPrecondition,
                $"API key '{keyId}' is the last active coordinator key; revoking it would leave no one able to administer the service. {RecoveryHint}");
        }
    }
}
