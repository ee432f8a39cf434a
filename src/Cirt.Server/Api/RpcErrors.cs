using System.Diagnostics.CodeAnalysis;
using Grpc.Core;

namespace Cirt.Server.Api;

/// <summary>
/// Ends a call with a gRPC error where a service itself refuses it: a status and a message naming
/// the field or the rule, in one line at the call site. (Refusals from the grains, CirtException,
/// are mapped by <see cref="ErrorInterceptor"/>; bad fields by <see cref="Violations"/>.)
/// </summary>
public static class RpcErrors
{
    /// <summary>Ends the call with <paramref name="code"/> and <paramref name="message"/>.</summary>
    [DoesNotReturn]
    public static void Throw(StatusCode code, string message) => throw new RpcException(new Status(code, message));

    /// <summary>Ends the call with NOT_FOUND for <paramref name="what"/> '<paramref name="id"/>'.</summary>
    [DoesNotReturn]
    public static void NotFound(string what, string id) => Throw(StatusCode.NotFound, $"{what} '{id}' was not found.");

    /// <summary>Ends the call with NOT_FOUND for <paramref name="what"/> '<paramref name="id"/>'; typed so that it can follow <c>??</c>.</summary>
    [DoesNotReturn]
    public static T NotFound<T>(string what, string id) =>
        throw new RpcException(new Status(StatusCode.NotFound, $"{what} '{id}' was not found."));
}
