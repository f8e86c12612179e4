using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using MisSend.Functions.Console;

namespace MisSend.Console.Tests;

/// <summary>Who acts on an operator route: the signed-in principal in Azure, the machine's user on loopback elsewhere, nobody otherwise.</summary>
public sealed class OperatorIdentityTests
{
    private static OperatorIdentity Identity(bool inAzure) => new(new ConfigurationBuilder()
        .AddInMemoryCollection(inAzure ? new Dictionary<string, string?> { [OperatorIdentity.SiteNameSetting] = "func-missend-prod" } : [])
        .Build());

    private static HttpRequest Request(IPAddress? remote = null, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = remote;
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        return context.Request;
    }

    [Fact]
    public void In_Azure_a_request_without_the_principal_App_Service_Authentication_sets_is_refused()
    {
        var (who, refusal) = Identity(inAzure: true).Identify(Request(IPAddress.Loopback, (OperatorIdentity.PrincipalNameHeader, "forged@club.example.jp")));

        Assert.Null(who);
        Assert.Equal(401, Assert.IsType<ContentResult>(refusal).StatusCode);
    }

    [Fact]
    public void In_Azure_the_operator_is_the_signed_in_principal()
    {
        var (who, refusal) = Identity(inAzure: true).Identify(Request(IPAddress.Parse("10.1.2.3"),
            (OperatorIdentity.PrincipalHeader, "eyJhdXRoX3R5cCI6ImFhZCJ9"),
            (OperatorIdentity.PrincipalNameHeader, "kobayashi.aya@club.example.jp"),
            (OperatorIdentity.PrincipalIdpHeader, "aad")), reason: "担当者確認済み");

        Assert.Null(refusal);
        Assert.Equal(("aad:kobayashi.aya@club.example.jp", "担当者確認済み"), (who!.Who, who.Reason));
    }

    [Fact]
    public void Elsewhere_the_routes_answer_loopback_only_and_name_the_machines_user()
    {
        var local = Identity(inAzure: false);

        var (who, _) = local.Identify(Request(IPAddress.IPv6Loopback));
        var (_, refusal) = local.Identify(Request(IPAddress.Parse("192.0.2.10"), (OperatorIdentity.PrincipalHeader, "eyJ9"), (OperatorIdentity.PrincipalNameHeader, "someone")));

        Assert.Equal($"local:{Environment.UserName}", who!.Who);
        Assert.Equal((int)HttpStatusCode.Forbidden, Assert.IsType<ContentResult>(refusal).StatusCode);
    }
}
