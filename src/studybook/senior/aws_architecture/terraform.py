"""Terraform examples for the chapter, kept as text so the tests can parse and check them.

Three configurations for the HashiCorp AWS provider (v5 resource names):
a VPC with public, application and database subnets in two Availability
Zones; an IAM policy written with ``aws_iam_policy_document``; and an S3
bucket with versioning, default KMS encryption and every public-access block
on. The tests parse each with ``python-hcl2`` and check the attributes the
chapter claims: the subnet CIDRs are exactly what :func:`~.vpc.plan_vpc`
computes for :data:`VPC_SUBNETS`, and the policy document, turned into IAM
JSON, gives the decisions the chapter shows when run through
:func:`~.iam.evaluate`.
"""

from __future__ import annotations

__all__ = ["IAM_POLICY_TF", "S3_BUCKET_TF", "VPC_CIDR", "VPC_SUBNETS", "VPC_TF"]

#: The VPC block of the example.
VPC_CIDR = "10.0.0.0/16"
#: Host counts per subnet, for three tiers in two Availability Zones.
VPC_SUBNETS = (
    ("public-a", 250),
    ("public-b", 250),
    ("app-a", 1000),
    ("app-b", 1000),
    ("db-a", 100),
    ("db-b", 100),
)

VPC_TF = """\
resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags = {
    Name = "studybook-main"
  }
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "app_a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.0.0/22"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "app_b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.4.0/22"
  availability_zone = "eu-west-1b"
}

resource "aws_subnet" "public_a" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.0.8.0/24"
  availability_zone       = "eu-west-1a"
  map_public_ip_on_launch = true
}

resource "aws_subnet" "public_b" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.0.9.0/24"
  availability_zone       = "eu-west-1b"
  map_public_ip_on_launch = true
}

resource "aws_subnet" "db_a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.10.0/25"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "db_b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.10.128/25"
  availability_zone = "eu-west-1b"
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}
"""

IAM_POLICY_TF = """\
data "aws_iam_policy_document" "orders_reader" {
  statement {
    sid       = "ReadOrders"
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = ["arn:aws:s3:::studybook-orders", "arn:aws:s3:::studybook-orders/*"]
  }

  statement {
    sid       = "DenyPlainHTTP"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_iam_policy" "orders_reader" {
  name   = "orders-reader"
  policy = data.aws_iam_policy_document.orders_reader.json
}
"""

S3_BUCKET_TF = """\
resource "aws_s3_bucket" "orders" {
  bucket = "studybook-orders"
}

resource "aws_s3_bucket_versioning" "orders" {
  bucket = aws_s3_bucket.orders.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "orders" {
  bucket = aws_s3_bucket.orders.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "orders" {
  bucket                  = aws_s3_bucket.orders.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
"""
