namespace Cirt.Server.Tests.Federation;

/// <summary>One server, "cirt-fr" in FR, that test partners deliver to: shared by a test class, each test with partners of its own.</summary>
public sealed class ReceivingServer : IAsyncLifetime
{
    public const string InstanceId = "cirt-fr";

    public ServerFixture Server { get; } = Federations.Server(InstanceId, "FR");

    public Task InitializeAsync() => Server.InitializeAsync();

    public Task DisposeAsync() => Server.DisposeAsync();
}
