using Cirt.Server.Extensions;

// Settings ship beside the binary, so the server behaves the same from any working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddCirtOrleans();
builder.AddCirtGrpc();

var app = builder.Build();
app.MapCirtGrpc();
app.Run();

/// <summary>Entry point, visible to tests.</summary>
public partial class Program;
