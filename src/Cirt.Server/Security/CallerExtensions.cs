using Cirt.Grains.Security;
using Grpc.Core;

namespace Cirt.Server.Security;

public static class CallerExtensions
{
    /// <summary>The authenticated caller; the authorisation interceptor has already refused calls without one.</summary>
    public static Principal Principal(this ServerCallContext context) =>
        context.GetHttpContext().Items[ApiKeyAuthenticationHandler.PrincipalItem] as Principal
        ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "No credential: send 'authorization: Bearer <api key>'."));
}
