namespace Cirt.Grains.Security;

/// <summary>Why a presented key was or was not accepted.</summary>
public enum AuthenticationOutcome
{
    Accepted = 1,
    UnknownKey = 2,
    WrongSecret = 3,
    Revoked = 4,
}
