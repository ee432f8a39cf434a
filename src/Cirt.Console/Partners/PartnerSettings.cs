using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Spectre.Console.Cli;

namespace Cirt.Console.Partners;

/// <summary>Commands that act on one partner CIRT take its instance id first.</summary>
public class PartnerSettings : ConnectionSettings
{
    [CommandArgument(0, "<PARTNER-ID>")]
    [Description("The partner's instance id, e.g. cirt-de")]
    public string PartnerId { get; init; } = "";
}
