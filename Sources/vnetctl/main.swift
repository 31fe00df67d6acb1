print("vnetctl")
