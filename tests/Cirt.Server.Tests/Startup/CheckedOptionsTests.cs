using Cirt.Grains.Incidents;
using Cirt.Server.Extensions;
using Cirt.Server.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Cirt.Server.Tests.Startup;

/// <summary>Options that reach the container by another way than the command line are still checked when the host starts.</summary>
public sealed class CheckedOptionsTests
{
    [Fact]
    public async Task AHostWithBadOptionsDoesNotStartAndNamesEveryProblem()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cirt:Security:PermitsPerSecond"] = "-5",
            ["Cirt:Deadlines:TriageLow"] = "00:00:00",
        });
        builder.Services.AddCheckedOptions<SecurityOptions>(builder.Configuration.GetSection(SecurityOptions.Section), o => o.Problems());
        builder.Services.AddCheckedOptions<DeadlineOptions>(builder.Configuration.GetSection(DeadlineOptions.Section), o => o.Problems());
        using var host = builder.Build();

        var refused = await Assert.ThrowsAsync<AggregateException>(() => host.StartAsync());

        var failures = refused.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).ToArray();
        Assert.Equal(
            ["Cirt:Deadlines:TriageLow must be longer than zero (it is 00:00:00).", "Cirt:Security:PermitsPerSecond must be at least 1 (it is -5)."],
            failures.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AHostWithGoodOptionsStartsWithThem()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Cirt:Security:PermitsPerSecond"] = "7" });
        builder.Services.AddCheckedOptions<SecurityOptions>(builder.Configuration.GetSection(SecurityOptions.Section), o => o.Problems());
        using var host = builder.Build();

        await host.StartAsync();

        Assert.Equal(7, host.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.PermitsPerSecond);
        await host.StopAsync();
    }
}
