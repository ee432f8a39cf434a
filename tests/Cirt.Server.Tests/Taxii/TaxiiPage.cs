using System.Text.Json.Nodes;

namespace Cirt.Server.Tests.Taxii;

/// <summary>One page of objects or manifest entries, with its X-TAXII-Date-Added-First and -Last headers.</summary>
public sealed record TaxiiPage(JsonObject Body, string? DateAddedFirst, string? DateAddedLast)
{
    public JsonArray Objects => Body["objects"]?.AsArray() ?? [];
}
