using Cirt.Contracts.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace Cirt.Server.Tests.Api;

[Collection(ServerCollection.Name)]
public sealed class PlatformTests(ServerFixture server)
{
    [Fact]
    public async Task TheHealthServiceReportsServing()
    {
        var health = new Health.HealthClient(server.Channel);

        var response = await health.CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task ReflectionListsEveryServiceTheContractsDeclare()
    {
        var reflection = new ServerReflection.ServerReflectionClient(server.Invoker(server.AnalystKey));
        using var call = reflection.ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToArray();

        // Every service the contracts declare, read from their descriptors: a new one that is not mapped fails here.
        var declared = ProtoFiles.Services.Select(s => s.FullName).Order(StringComparer.Ordinal);
        Assert.Equal(declared, services.Where(s => s.StartsWith("cirt.", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Contains("grpc.health.v1.Health", services);
    }

    [Fact]
    public async Task AMessageOverTheSizeLimitIsRefusedWithResourceExhausted()
    {
        var request = Reports.Valid();
        request.Description = new string('x', 5 * 1024 * 1024);

        await RpcAssert.FailsWith(StatusCode.ResourceExhausted, () => server.Reporting().SubmitIncidentAsync(request).ResponseAsync);
    }
}
