using GovEvents.Api.Hosting;
using GovEvents.Api.Hosting.Database;

// `dotnet GovEvents.Api.dll migrate` applies the migrations and exits (for an application role without DDL rights).
if (args is [MigrateCommand.Name, ..])
    return await MigrateCommand.RunAsync(args[1..]);

var builder = WebApplication.CreateBuilder(args);
builder.AddGovEvents();

var app = builder.Build();
app.UseGovEvents();
await app.RunAsync();
return 0;

public partial class Program;
