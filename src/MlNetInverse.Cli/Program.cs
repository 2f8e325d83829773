using TorchSharp;
var t = torch.randn(3, 3);
Console.WriteLine(t.sum().item<float>());
var e = torch.linalg.eig(torch.randn(242, 242, dtype: torch.complex128));
Console.WriteLine(e.Item1.shape[0]);
