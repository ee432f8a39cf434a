using Google.Rpc;
using Grpc.Core;

namespace Cirt.Server.Tests;

public static class RpcAssert
{
    public static async Task<RpcException> FailsWith(StatusCode code, Func<Task> call)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(code == ex.StatusCode, $"Expected {code} but got {ex.StatusCode}: {ex.Status.Detail}");
        return ex;
    }

    /// <summary>The fields named in the google.rpc.BadRequest details of an INVALID_ARGUMENT.</summary>
    public static async Task<IReadOnlyList<string>> InvalidFields(Func<Task> call)
    {
        var ex = await FailsWith(StatusCode.InvalidArgument, call);
        var badRequest = ex.GetRpcStatus()?.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        return badRequest.FieldViolations.Select(v => v.Field).ToArray();
    }
}
