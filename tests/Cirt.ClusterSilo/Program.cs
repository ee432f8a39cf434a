using Cirt.Server;
using Cirt.Server.Extensions;
using Cirt.Server.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

// One silo of the cluster profile with its membership only, configured from the environment as the
// server is (Cirt__ClusterId, Cirt__SiloPort, Cirt__Cluster__MembershipTable, ConnectionStrings__AzureStorage...).
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var options = builder.Configuration.GetSection(CirtOptions.Section).Get<CirtOptions>() ?? new CirtOptions();
var connections = new ClusterConnections(
    builder.Configuration.GetConnectionString("AzureStorage") ?? throw new InvalidOperationException("ConnectionStrings__AzureStorage is not set."),
    "");
builder.UseOrleans(silo =>
{
    silo.AddCirtClusterMembership(options, connections);
    silo.Configure<ClusterOptions>(cluster =>
    {
        cluster.ClusterId = options.ClusterId;
        cluster.ServiceId = options.ServiceId;
    });
});
await builder.Build().RunAsync();
