namespace Cirt.Grains.Common;

/// <summary>Why a domain operation was refused; the gRPC layer maps each kind to a status code.</summary>
public enum CirtErrorKind
{
    InvalidArgument,
    NotFound,
    AlreadyExists,
    FailedPrecondition,
    Conflict,
}
