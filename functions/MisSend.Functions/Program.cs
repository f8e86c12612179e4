using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using MisSend.Functions;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddFunctionServices(builder.Configuration);
builder.Services.AddWorkerApplicationInsights(builder.Configuration);

builder.Build().Run();
