using System.ComponentModel;
using Cirt.Contracts.V1;
using Spectre.Console.Cli;

namespace Cirt.Console.Infrastructure;

/// <summary>Options that attach observables, shared by "report" and "incidents observe".</summary>
public class ObservableSettings : ConnectionSettings
{
    [CommandOption("--ip <ADDRESS>")]
    [Description("IPv4 or IPv6 address (repeatable)")]
    public string[] Ips { get; init; } = [];

    [CommandOption("--prefix <CIDR>")]
    [Description("IP prefix in CIDR notation (repeatable)")]
    public string[] Prefixes { get; init; } = [];

    [CommandOption("--domain <NAME>")]
    [Description("Domain name (repeatable)")]
    public string[] Domains { get; init; } = [];

    [CommandOption("--url <URL>")]
    [Description("URL (repeatable)")]
    public string[] Urls { get; init; } = [];

    [CommandOption("--email <ADDRESS>")]
    [Description("E-mail address (repeatable)")]
    public string[] Emails { get; init; } = [];

    [CommandOption("--hash <HEX>")]
    [Description("MD5, SHA-1 or SHA-256 digest (repeatable)")]
    public string[] Hashes { get; init; } = [];

    [CommandOption("--asn <NUMBER>")]
    [Description("Autonomous system number (repeatable)")]
    public string[] Asns { get; init; } = [];

    [CommandOption("--cve <ID>")]
    [Description("CVE identifier (repeatable)")]
    public string[] Cves { get; init; } = [];

    public IEnumerable<Observable> Observables() =>
        Of(ObservableType.IpAddress, Ips)
            .Concat(Of(ObservableType.IpPrefix, Prefixes))
            .Concat(Of(ObservableType.Domain, Domains))
            .Concat(Of(ObservableType.Url, Urls))
            .Concat(Of(ObservableType.Email, Emails))
            .Concat(Of(ObservableType.FileHash, Hashes))
            .Concat(Of(ObservableType.Asn, Asns))
            .Concat(Of(ObservableType.Cve, Cves));

    private static IEnumerable<Observable> Of(ObservableType type, IEnumerable<string> values) =>
        values.Select(value => new Observable { Type = type, Value = value });
}
