using System.ComponentModel;
using Spectre.Console.Cli;

namespace Cirt.Console.Feeds;

/// <summary>A feed and one API key, by id (cirt keys list shows them).</summary>
public sealed class FeedKeySettings : FeedNameSettings
{
    [CommandOption("--key-id <KEY-ID>")]
    [Description("The key's id: 16 hex digits (cirt keys list; required)")]
    public string? KeyId { get; init; }
}
