namespace Cirt.Grains.Common;

/// <summary>Why a domain operation was refused; the gRPC layer maps each kind to a status code.</summary>
public enum CirtErrorKind
{
    InvalidArgument,
    NotFound,
    AlreadyExists,
    FailedPrecondition,
    Conflict,

    /// <summary>The caller may call the method but not on this object (e.g. another organisation's task).</summary>
    PermissionDenied,
}
