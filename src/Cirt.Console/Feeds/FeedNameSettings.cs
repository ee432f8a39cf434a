using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Spectre.Console.Cli;

namespace Cirt.Console.Feeds;

/// <summary>Commands that act on one feed take its name first.</summary>
public class FeedNameSettings : ConnectionSettings
{
    [CommandArgument(0, "<FEED>")]
    [Description("The feed's name, as its events carry it, e.g. honeypot-eu-1")]
    public string Name { get; init; } = "";
}
