using System.Net;
using System.Text.Json.Nodes;

namespace Cirt.Server.Tests.IntelMq;

/// <summary>What the IntelMQ endpoint answered: its status, its JSON body (empty when it had none) and the response for its headers.</summary>
public sealed record IntelMqResponse(HttpStatusCode Status, JsonObject Body, HttpResponseMessage Response);
