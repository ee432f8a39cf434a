using System.ComponentModel;
using Cirt.Console.Infrastructure;
using Spectre.Console.Cli;

namespace Cirt.Console.Partners;

/// <summary>Commands that act on one outbox message take its id first.</summary>
public class OutboxMessageSettings : ConnectionSettings
{
    [CommandArgument(0, "<MESSAGE-ID>")]
    [Description("The message id, as cirt partners outbox shows it")]
    public string MessageId { get; init; } = "";
}
