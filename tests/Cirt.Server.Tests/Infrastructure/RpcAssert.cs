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

    /// <summary>How <paramref name="call"/> ended: OK, or the status it failed with (for tests that look at several outcomes before asserting).</summary>
    public static async Task<RpcException> StatusOf(Func<Task> call)
    {
        try
        {
            await call();
            return new RpcException(Grpc.Core.Status.DefaultSuccess);
        }
        catch (RpcException ex)
        {
            return ex;
        }
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
