using Microsoft.AspNetCore.Mvc;

namespace PayTrack.Infrastructure.Web;

/// <summary>Lets a page answer with a use case's own <see cref="IResult"/> (a CSV stream, a receipt file) unchanged.</summary>
public sealed class HttpResultAction(IResult result) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
}
