using GovEvents.Api.Hosting;
using GovEvents.Api.Hosting.Database;
using JasperFx;

// `dotnet GovEvents.Api.dll migrate` applies the migrations and exits (for an application role without DDL rights).
if (args is [MigrateCommand.Name, ..])
    return await MigrateCommand.RunAsync(args[1..]);

var builder = WebApplication.CreateBuilder(args);
builder.AddGovEvents();

var app = builder.Build();
app.UseGovEvents();
// `dotnet run --project src/Api -- codegen write` writes Wolverine's and Marten's generated code to Internal/Generated.
if (args is ["codegen", ..]) return await app.RunJasperFxCommands(args);
await app.RunAsync();
return 0;

public partial class Program;
